-- SchemaMigrationTest: applies
CREATE TABLE fine (id int PRIMARY KEY);
