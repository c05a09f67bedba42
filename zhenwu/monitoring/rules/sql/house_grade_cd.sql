-- house_grade_cd v1 (住房鉴定为C/D级危房)
-- The latest 住建 safety assessment in the 12 months up to the period graded the house C
-- or D.
SELECT
  d.household_key,
  d.person_key,
  d.kind AS grade,
  d.month AS assessed_month
FROM dept AS d
WHERE d.department = 'housing'
QUALIFY
  ROW_NUMBER() OVER (PARTITION BY d.person_key ORDER BY d.month DESC, d.kind DESC) = 1
  AND d.kind IN ('C', 'D')
