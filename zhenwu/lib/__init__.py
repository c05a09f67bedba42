"""Pure helpers with no Django models: ID numbers, masking, dates, pinyin, periods."""
