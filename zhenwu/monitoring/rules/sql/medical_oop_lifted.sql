-- medical_oop_lifted v1 (脱贫人口医疗自付超标)
-- A member of a 脱贫户 whose compliant out-of-pocket medical cost over the 12 months up to
-- the period exceeds the ratio (sample 50%) of the province's rural per-capita disposable
-- income of the previous year.
SELECT
  d.household_key,
  d.person_key,
  SUM(d.amount) AS oop_12m,
  $medical_ratio_lifted * $rural_disposable_income AS threshold
FROM dept AS d
JOIN households AS h ON h.household_key = d.household_key
WHERE d.department = 'medical_insurance'
  AND h.category = 'lifted'
GROUP BY d.household_key, d.person_key
HAVING SUM(d.amount) > $medical_ratio_lifted * $rural_disposable_income
