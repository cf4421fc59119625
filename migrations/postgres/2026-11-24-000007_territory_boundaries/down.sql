DROP TABLE territory_boundaries;
