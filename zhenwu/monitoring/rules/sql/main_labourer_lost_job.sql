-- main_labourer_lost_job v1 (主要劳动力失业或务工中断)
-- 人社 reports unemployment or interrupted migrant work in the 12 months up to the period
-- for a member aged 16-60 with ordinary or skilled labour capacity.
SELECT
  d.household_key,
  d.person_key,
  MAX(d.kind) AS event,
  MAX(d.month) AS event_month
FROM dept AS d
JOIN persons AS p ON p.person_key = d.person_key
WHERE d.department = 'human_resources'
  AND d.kind IN ('失业', '务工中断')
  AND p.labour_capacity IN ('ordinary', 'skilled')
  AND p.age BETWEEN 16 AND 60
GROUP BY d.household_key, d.person_key
