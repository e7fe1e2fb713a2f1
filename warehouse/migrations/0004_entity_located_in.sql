-- Cities and regions keep the code of the country they lie in, apart from country_code,
-- which stays "this entity is (the people of) that country".
ALTER TABLE core.dim_entity ADD COLUMN located_in VARCHAR;
