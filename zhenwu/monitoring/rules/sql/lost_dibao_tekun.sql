-- lost_dibao_tekun v1 (退出低保或特困供养)
-- The latest 民政 change in the 12 months up to the period is an exit from 低保 or 特困.
SELECT
  d.household_key,
  d.person_key,
  d.kind AS change,
  d.month AS change_month
FROM dept AS d
WHERE d.department = 'civil_affairs'
QUALIFY
  ROW_NUMBER() OVER (PARTITION BY d.person_key ORDER BY d.month DESC, d.kind DESC) = 1
  AND d.kind IN ('低保退出', '特困退出')
