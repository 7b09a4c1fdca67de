{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- Every input cell of every failing check of a current report, with the check's sides and
-- difference: for a rule written as lhs = rhs each cell of each side (seeds/formula_terms.csv via
-- int_formula__inputs; a year_offset cell is the other year's, from the report the check compared
-- with); for NON_NEGATIVE the cell itself. With the cell's value, printed text, source and file.
-- The base of mart_check_findings and of the metrics' <metric>_inputs_ok (a cell here under an
-- error-severity rule is breached). A refresh rebuilds the touched versions' rows only.
-- depends_on: {{ ref('int_reports__touched') }}
with

current_versions as (

    select report_id from {{ ref('int_reports__versions') }} where is_current {{ only_touched('report_id', 'and') }}

),

scopes as (

    -- the layout each formula scope of a report is read in (its Table 3 layout for a Table 3 rule)
    select report_id, formula_id, scope, layout from {{ ref('int_formula__scopes') }} {{ only_touched('report_id') }}

),

failed_formulas as (

    select report_id, rule_id, scope_kind, scope, lhs, rhs, difference, compared_report_id
    from {{ ref('int_checks__formulas') }}
    where status = 'fail' {{ only_touched('report_id', 'and') }}

),

failed_cells as (

    select report_id, rule_id, scope_kind, scope, lhs, rhs, difference, table_no, row_code, column_code
    from {{ ref('int_checks__non_negative') }}
    where status = 'fail' {{ only_touched('report_id', 'and') }}

),

formula_inputs as (

    select * from {{ ref('int_formula__inputs') }}

),

rules as (

    select rule_id, severity from {{ ref('rules') }}

),

report_values as (

    -- a check reads its own report's cells or those of a report it compared with: the same body's
    select * from {{ ref('int_report_values') }} {{ only_touched('report_id') }}

),

inputs as (

    select failed_formulas.report_id, failed_formulas.rule_id, failed_formulas.scope_kind, failed_formulas.scope,
        failed_formulas.lhs, failed_formulas.rhs, failed_formulas.difference, formula_inputs.side,
        formula_inputs.sign, formula_inputs.table_no, formula_inputs.row_code, formula_inputs.column_code,
        formula_inputs.year_offset,
        case when formula_inputs.year_offset = 0 then failed_formulas.report_id
            else failed_formulas.compared_report_id end as input_report_id
    from failed_formulas
    inner join current_versions on failed_formulas.report_id = current_versions.report_id
    inner join scopes
        on failed_formulas.report_id = scopes.report_id
        and failed_formulas.rule_id = scopes.formula_id
        and failed_formulas.scope = scopes.scope
    inner join formula_inputs
        on scopes.layout = formula_inputs.layout
        and failed_formulas.rule_id = formula_inputs.formula_id
        and failed_formulas.scope = formula_inputs.scope
    union all
    select failed_cells.report_id, failed_cells.rule_id, failed_cells.scope_kind, failed_cells.scope,
        failed_cells.lhs, failed_cells.rhs, failed_cells.difference, 'lhs', 1, failed_cells.table_no,
        failed_cells.row_code, failed_cells.column_code, 0, failed_cells.report_id
    from failed_cells
    inner join current_versions on failed_cells.report_id = current_versions.report_id

),

final as (

    select
        inputs.* exclude (year_offset),
        rules.severity,
        report_values.year as input_year,
        report_values.file,
        report_values.value,
        report_values.original_value,
        report_values.is_corrected,
        report_values.correction_reason,
        report_values.raw_text,
        report_values.source_location,
        report_values.note

    from inputs
    inner join rules on inputs.rule_id = rules.rule_id
    left join report_values
        on inputs.input_report_id = report_values.report_id
        and inputs.table_no = report_values.table_no
        and inputs.row_code = report_values.row_code
        and inputs.column_code = report_values.column_code

)

select * from final {{ order_by_report() }}
