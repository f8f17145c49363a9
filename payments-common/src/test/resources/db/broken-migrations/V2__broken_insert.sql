-- SchemaMigrationTest: fails (the table does not exist)
INSERT INTO missing_table VALUES (1);
