-- Findings down to the cell: one row per failing check of a current report × each of its input
-- cells, with the check's two sides and difference and the cell's value, printed text, source and
-- file. NARRATIVE_MATCH's narrative side is the sentence the figure was read from (table 0);
-- CROSS_YEAR_CARRY's other side is the cell of the other year's report, with that report's file.
-- A refresh rebuilds the touched versions only.
{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- depends_on: {{ ref('int_reports__touched') }}
with

failed_inputs as (

    select * from {{ ref('int_checks__failed_inputs') }} {{ only_touched('report_id') }}

),

reports as (

    -- a finding's own report and the one it compared with, of the same body
    select report_id, body_key, body_name, region_code, year, layout, table3_layout
    from {{ ref('int_reports__versions') }} {{ only_touched('report_id') }}

),

rules as (

    select rule_id, rule_name from {{ ref('rules') }}

),

scope_labels as (

    select * from {{ ref('int_checks__scope_labels') }}

),

cell_labels as (

    select * from {{ ref('int_cell_labels') }}

),

final as (

    select
        failed_inputs.report_id, reports.body_name, reports.region_code, reports.year,
        failed_inputs.rule_id, rules.rule_name, failed_inputs.scope,
        {{ exact_amount('failed_inputs.lhs') }} as lhs,
        {{ exact_amount('failed_inputs.rhs') }} as rhs,
        {{ exact_amount('failed_inputs.difference') }} as difference,
        failed_inputs.side, failed_inputs.table_no, failed_inputs.row_code, failed_inputs.column_code,
        {{ exact_amount('failed_inputs.value') }} as value,
        failed_inputs.raw_text, failed_inputs.source_location as source, failed_inputs.file, failed_inputs.note,
        failed_inputs.severity, scope_labels.scope_label,
        cell_labels.table_label, cell_labels.row_label, cell_labels.column_label, cell_labels.cell_label,
        failed_inputs.sign, failed_inputs.input_report_id, failed_inputs.input_year,
        {{ exact_amount('failed_inputs.original_value') }} as original_value,
        failed_inputs.is_corrected, failed_inputs.correction_reason, reports.body_key, reports.layout

    from failed_inputs
    inner join reports on failed_inputs.report_id = reports.report_id
    inner join rules on failed_inputs.rule_id = rules.rule_id
    left join scope_labels
        on reports.layout = scope_labels.layout
        and reports.table3_layout = scope_labels.table3_layout
        and failed_inputs.scope_kind = scope_labels.scope_kind
        and failed_inputs.scope = scope_labels.scope
    left join reports as input_reports on failed_inputs.input_report_id = input_reports.report_id
    left join cell_labels
        on input_reports.layout = cell_labels.layout
        and input_reports.table3_layout = cell_labels.table3_layout
        and failed_inputs.table_no = cell_labels.table_no
        and failed_inputs.row_code = cell_labels.row_code
        and failed_inputs.column_code = cell_labels.column_code

)

select * from final {{ order_by_report() }}
