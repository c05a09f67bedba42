-- disability_without_benefit v1 (残疾人未享受兜底保障)
-- 残联 lists a disability certificate in the 12 months up to the period for a member who
-- receives neither 低保 nor 特困供养.
SELECT
  d.household_key,
  d.person_key,
  MAX(d.kind) AS disability_category,
  MAX(d.detail) AS disability_grade
FROM dept AS d
JOIN persons AS p ON p.person_key = d.person_key
WHERE d.department = 'disabled_federation'
  AND NOT p.receives_dibao
  AND NOT p.receives_tekun
GROUP BY d.household_key, d.person_key
