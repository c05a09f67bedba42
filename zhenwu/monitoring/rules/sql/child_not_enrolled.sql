-- child_not_enrolled v1 (义务教育阶段适龄儿童失学辍学)
-- A child aged 6-15 at the end of the period whose latest 教育 record in the 12 months is
-- 辍学 or 未入学.
SELECT
  d.household_key,
  d.person_key,
  p.age,
  d.kind AS school_status,
  d.month AS reported_month
FROM dept AS d
JOIN persons AS p ON p.person_key = d.person_key
WHERE d.department = 'education'
  AND p.age BETWEEN 6 AND 15
QUALIFY
  ROW_NUMBER() OVER (PARTITION BY d.person_key ORDER BY d.month DESC, d.kind DESC) = 1
  AND d.kind IN ('辍学', '未入学')
