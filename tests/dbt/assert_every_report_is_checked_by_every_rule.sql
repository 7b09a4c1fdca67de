-- Rule (invariant): mart_check_results has at least one row for every report version and every
-- rule that applies to its layout (a report is flagged, never skipped). NON_NEGATIVE needs read cells.
-- A refresh checks the touched report versions (macro touched_rows): the others' rows did not change.
with expected as (
    select reports.report_id, rules.rule_id
    from {{ touched_rows(ref('stg_raw__reports')) }} as reports
    cross join {{ ref('rules') }} as rules
    where {{ layout_matches('rules.layout', 'reports.layout') }}
        and (rules.scope_kind <> 'cell'
            or reports.report_id in (select report_id from {{ touched_rows(ref('stg_raw__cells')) }}))
),
present as (
    select distinct report_id, rule_id from {{ touched_rows(ref('mart_check_results')) }}
)
select * from expected except select * from present
