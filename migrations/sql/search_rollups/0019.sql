-- The searches answers' two rollups kept from search_counts by statement-level triggers;
-- search_answer_rollups_rebuild() computes them again (migration 0017).

CREATE OR REPLACE FUNCTION search_answer_rollups_follow()
 RETURNS trigger
 LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN

    INSERT INTO search_month_counts AS m (log_id, month, category, search_type_id, searches, multi_network)
    SELECT log_id, month, category, search_type_id, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM new_counts) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (log_id, month, category, search_type_id) DO UPDATE SET
        searches = m.searches + EXCLUDED.searches, multi_network = m.multi_network + EXCLUDED.multi_network;
    INSERT INTO search_searcher_counts AS s (log_id, searcher_id, category, searches, multi_network)
    SELECT log_id, searcher_id, category, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM new_counts) AS d
    GROUP BY 1, 2, 3 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (log_id, searcher_id, category) DO UPDATE SET
        searches = s.searches + EXCLUDED.searches, multi_network = s.multi_network + EXCLUDED.multi_network;

    ELSIF TG_OP = 'DELETE' THEN

    INSERT INTO search_month_counts AS m (log_id, month, category, search_type_id, searches, multi_network)
    SELECT log_id, month, category, search_type_id, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, -searches AS searches, -multi_network AS multi_network FROM old_counts) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (log_id, month, category, search_type_id) DO UPDATE SET
        searches = m.searches + EXCLUDED.searches, multi_network = m.multi_network + EXCLUDED.multi_network;
    INSERT INTO search_searcher_counts AS s (log_id, searcher_id, category, searches, multi_network)
    SELECT log_id, searcher_id, category, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, -searches AS searches, -multi_network AS multi_network FROM old_counts) AS d
    GROUP BY 1, 2, 3 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (log_id, searcher_id, category) DO UPDATE SET
        searches = s.searches + EXCLUDED.searches, multi_network = s.multi_network + EXCLUDED.multi_network;

    ELSE

    INSERT INTO search_month_counts AS m (log_id, month, category, search_type_id, searches, multi_network)
    SELECT log_id, month, category, search_type_id, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM new_counts UNION ALL SELECT log_id, month, searcher_id, category, search_type_id, -searches AS searches, -multi_network AS multi_network FROM old_counts) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (log_id, month, category, search_type_id) DO UPDATE SET
        searches = m.searches + EXCLUDED.searches, multi_network = m.multi_network + EXCLUDED.multi_network;
    INSERT INTO search_searcher_counts AS s (log_id, searcher_id, category, searches, multi_network)
    SELECT log_id, searcher_id, category, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM new_counts UNION ALL SELECT log_id, month, searcher_id, category, search_type_id, -searches AS searches, -multi_network AS multi_network FROM old_counts) AS d
    GROUP BY 1, 2, 3 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (log_id, searcher_id, category) DO UPDATE SET
        searches = s.searches + EXCLUDED.searches, multi_network = s.multi_network + EXCLUDED.multi_network;

    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER search_answer_rollups_delete AFTER DELETE ON search_counts REFERENCING OLD TABLE AS old_counts FOR EACH STATEMENT EXECUTE FUNCTION search_answer_rollups_follow();
CREATE OR REPLACE TRIGGER search_answer_rollups_insert AFTER INSERT ON search_counts REFERENCING NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION search_answer_rollups_follow();
CREATE OR REPLACE TRIGGER search_answer_rollups_update AFTER UPDATE ON search_counts REFERENCING OLD TABLE AS old_counts NEW TABLE AS new_counts FOR EACH STATEMENT EXECUTE FUNCTION search_answer_rollups_follow();

CREATE OR REPLACE FUNCTION search_answer_rollups_rebuild()
 RETURNS void
 LANGUAGE sql
AS $$
    DELETE FROM search_month_counts;
    DELETE FROM search_searcher_counts;

    INSERT INTO search_month_counts AS m (log_id, month, category, search_type_id, searches, multi_network)
    SELECT log_id, month, category, search_type_id, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM search_counts) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (log_id, month, category, search_type_id) DO UPDATE SET
        searches = m.searches + EXCLUDED.searches, multi_network = m.multi_network + EXCLUDED.multi_network;
    INSERT INTO search_searcher_counts AS s (log_id, searcher_id, category, searches, multi_network)
    SELECT log_id, searcher_id, category, sum(searches), sum(multi_network) FROM (SELECT log_id, month, searcher_id, category, search_type_id, searches, multi_network FROM search_counts) AS d
    GROUP BY 1, 2, 3 HAVING sum(searches) <> 0 OR sum(multi_network) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (log_id, searcher_id, category) DO UPDATE SET
        searches = s.searches + EXCLUDED.searches, multi_network = s.multi_network + EXCLUDED.multi_network;

$$;
