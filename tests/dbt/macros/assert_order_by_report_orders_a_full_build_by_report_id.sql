-- Rule: macro order_by_report orders a full build's rows by report_id (or the column given);
-- outside an incremental model's incremental run is_incremental() is false, so it always does here.
-- Its refresh side (nothing) is checked by tests/test_refresh_spare.py on a refresh's compiled SQL.
select 'report_id' as failing_case
where $${{ order_by_report() }}$$ <> $$order by report_id$$
union all
select 'another column'
where $${{ order_by_report('body_key') }}$$ <> $$order by body_key$$
