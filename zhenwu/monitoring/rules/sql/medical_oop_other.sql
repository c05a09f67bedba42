-- medical_oop_other v1 (一般农户医疗自付超标)
-- As medical_oop_lifted, for members of every other household, with its own ratio
-- (sample 100%).
SELECT
  d.household_key,
  d.person_key,
  SUM(d.amount) AS oop_12m,
  $medical_ratio_other * $rural_disposable_income AS threshold
FROM dept AS d
JOIN households AS h ON h.household_key = d.household_key
WHERE d.department = 'medical_insurance'
  AND h.category <> 'lifted'
GROUP BY d.household_key, d.person_key
HAVING SUM(d.amount) > $medical_ratio_other * $rural_disposable_income
