-- income_below_line v1 (收入低于监测范围)
-- The household's latest per-capita net income (year <= the period's year) is below the
-- monitoring income line.
SELECT
  i.household_key,
  CAST(NULL AS BIGINT) AS person_key,
  i.year AS income_year,
  i.per_capita_income
FROM incomes AS i
WHERE i.per_capita_income < $income_line
