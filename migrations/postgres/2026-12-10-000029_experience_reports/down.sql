DROP TABLE experience_reports;
