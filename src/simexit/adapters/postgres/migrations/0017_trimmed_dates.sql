-- Records read their dates as dates now (CivilDate: exactly YYYY-MM-DD, or ''
-- for none). Earlier versions stored some dates as they were typed, spaces
-- around them included (a power of attorney's, a document's); trimmed here so
-- that every stored date reads back.
UPDATE powers_of_attorney SET issued_on = trim(issued_on), valid_until = trim(valid_until)
  WHERE issued_on <> trim(issued_on) OR valid_until <> trim(valid_until);
UPDATE document_checks SET birth_date = trim(birth_date), expiry_date = trim(expiry_date)
  WHERE birth_date <> trim(birth_date) OR expiry_date <> trim(expiry_date);
UPDATE terminations SET postmarked_on = trim(postmarked_on) WHERE postmarked_on <> trim(postmarked_on);
UPDATE reactivations SET postmarked_on = trim(postmarked_on) WHERE postmarked_on <> trim(postmarked_on);
