-- no_basic_medical_insurance v1 (未参加基本医疗保险)
-- An active member the registry records as not insured.
SELECT
  p.household_key,
  p.person_key,
  p.medical_insurance
FROM persons AS p
WHERE p.medical_insurance = 'none'
