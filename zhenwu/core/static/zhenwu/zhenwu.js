// Zhenwu: small progressive enhancements. No inline scripts (CSP).
