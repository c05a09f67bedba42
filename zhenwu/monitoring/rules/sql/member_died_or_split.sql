-- member_died_or_split v1 (家庭成员死亡或分户)
-- 公安 reports the death of a member the registry still lists as active, or a household
-- split, in the 12 months up to the period.
SELECT
  d.household_key,
  d.person_key,
  MAX(d.kind) AS event,
  MAX(d.month) AS event_month
FROM dept AS d
WHERE d.department = 'public_security'
  AND d.kind IN ('死亡', '分户')
GROUP BY d.household_key, d.person_key
