-- Findings down to the cell: one row per failing check of a current report × each of its input
-- cells, with the check's two sides and difference and the cell's value, printed text, source and
-- file. NARRATIVE_MATCH's narrative side is the sentence the figure was read from (table 0);
-- CROSS_YEAR_CARRY's other side is the cell of the other year's report, with that report's file.
with

failed_inputs as (

    select * from {{ ref('int_checks__failed_inputs') }}

),

checks as (

    select * from {{ ref('mart_check_results') }} where is_current and status = 'fail'

),

reports as (

    select report_id, layout from {{ ref('int_reports__versions') }}

),

cell_labels as (

    select * from {{ ref('int_cell_labels') }}

),

final as (

    select
        checks.report_id,
        checks.body_name,
        checks.region_code,
        checks.year,
        checks.rule_id,
        checks.rule_name,
        checks.scope,
        checks.lhs,
        checks.rhs,
        checks.difference,
        failed_inputs.side,
        failed_inputs.table_no,
        failed_inputs.row_code,
        failed_inputs.column_code,
        {{ exact_amount('failed_inputs.value') }} as value,
        failed_inputs.raw_text,
        failed_inputs.source_location as source,
        failed_inputs.file,
        failed_inputs.note,
        checks.severity,
        checks.scope_label,
        cell_labels.table_label,
        cell_labels.row_label,
        cell_labels.column_label,
        cell_labels.cell_label,
        failed_inputs.sign,
        failed_inputs.input_report_id,
        failed_inputs.input_year,
        {{ exact_amount('failed_inputs.original_value') }} as original_value,
        failed_inputs.is_corrected,
        failed_inputs.correction_reason,
        checks.body_key,
        checks.layout

    from failed_inputs
    inner join checks
        on failed_inputs.report_id = checks.report_id
        and failed_inputs.rule_id = checks.rule_id
        and failed_inputs.scope = checks.scope
    left join reports on failed_inputs.input_report_id = reports.report_id
    left join cell_labels
        on reports.layout = cell_labels.layout
        and failed_inputs.table_no = cell_labels.table_no
        and failed_inputs.row_code = cell_labels.row_code
        and failed_inputs.column_code = cell_labels.column_code

)

select * from final
