-- water_supply_problem v1 (饮水安全问题)
-- 水利 reports a drinking-water problem (quantity, quality, access, supply) for the
-- household in the 12 months up to the period.
SELECT
  d.household_key,
  CAST(NULL AS BIGINT) AS person_key,
  MAX(d.kind) AS problem,
  MAX(d.month) AS reported_month
FROM dept AS d
WHERE d.department = 'water'
GROUP BY d.household_key
