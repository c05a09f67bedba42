-- disaster_loss v1 (自然灾害损失较大)
-- The household's 应急 disaster losses over the 12 months up to the period exceed the
-- threshold.
SELECT
  d.household_key,
  CAST(NULL AS BIGINT) AS person_key,
  SUM(d.amount) AS loss_12m,
  COUNT(*) AS events,
  MAX(d.month) AS last_month
FROM dept AS d
WHERE d.department = 'emergency'
GROUP BY d.household_key
HAVING SUM(d.amount) > $disaster_loss_threshold
