DROP TABLE deliverable_items;
DROP TABLE deliverables;
DROP TABLE recommendations;
DROP TABLE lesson_audiences;
DROP TABLE lessons;
