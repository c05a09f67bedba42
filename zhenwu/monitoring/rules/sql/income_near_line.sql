-- income_near_line v1 (收入接近监测范围)
-- The latest per-capita net income is at or above the line but within the margin above it
-- (line x (1 + margin ratio)).
SELECT
  i.household_key,
  CAST(NULL AS BIGINT) AS person_key,
  i.year AS income_year,
  i.per_capita_income
FROM incomes AS i
WHERE i.per_capita_income >= $income_line
  AND i.per_capita_income < $income_line * (1 + $income_margin_ratio)
