DROP TABLE activity_log;
DROP TABLE theme_position_history;
DROP TABLE theme_positions;
DROP TABLE themes;
