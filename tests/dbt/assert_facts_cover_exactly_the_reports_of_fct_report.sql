-- Rule (invariant): the fct_ marts of Tables 2, 3 and 4 read int_current_report_values, which picks
-- the current report itself (an intermediate model never reads a mart): every report with cells in
-- them is a report of fct_report, and every report of fct_report with read cells is in them.
-- A refresh checks the touched report versions (macro touched_rows): fct_report is rebuilt whole,
-- but the current version of an untouched body-year stays the same.
with
facts as (
    select distinct report_id from {{ touched_rows(ref('int_current_report_values')) }}
),
chosen_with_cells as (
    select distinct fct_report.report_id
    from {{ touched_rows(ref('fct_report'), 'report_id') }} as fct_report
    inner join {{ touched_rows(ref('int_report_values')) }} as report_values on fct_report.report_id = report_values.report_id
)
(select report_id, 'in the facts, not in fct_report' as problem from facts except select report_id, 'in the facts, not in fct_report' from chosen_with_cells)
union all
(select report_id, 'in fct_report, not in the facts' from chosen_with_cells except select report_id, 'in fct_report, not in the facts' from facts)
