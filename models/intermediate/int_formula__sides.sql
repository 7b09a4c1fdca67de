-- Each side of each formula (rule lhs/rhs, metric numerator/denominator) per report version and
-- scope: the signed sum of its input cells, NULL when any input is missing or NULL.
with

scopes as (

    select * from {{ ref('int_formula__scopes') }}

),

versions as (

    select report_id, body_key, year, layout, is_current from {{ ref('int_reports__versions') }}

),

formula_terms as (

    select * from {{ ref('formula_terms') }}

),

t3_rows as (

    select row_code, layout, group_code from {{ ref('t3_rows') }}

),

report_values as (

    select report_id, table_no, row_code, column_code, value, original_value, is_corrected
    from {{ ref('int_report_values') }}

),

scope_terms as (

    select scopes.report_id, scopes.formula_id, scopes.scope, versions.body_key, versions.year, versions.layout,
        formula_terms.side, formula_terms.table_no, formula_terms.row_code, formula_terms.row_group,
        formula_terms.column_code, formula_terms.year_offset, formula_terms.sign
    from scopes
    inner join versions on scopes.report_id = versions.report_id
    inner join formula_terms
        on scopes.formula_id = formula_terms.formula_id
        and (formula_terms.scope is null or formula_terms.scope = scopes.scope)

),

inputs as (

    -- an empty row_code/row_group means the scope's row or block, an empty column_code the scope's
    -- column; a row_group expands to its rows in the report's layout; year_offset reads the same
    -- body's current report of that other year
    select
        scope_terms.report_id, scope_terms.formula_id, scope_terms.scope, scope_terms.side, scope_terms.sign,
        case when scope_terms.year_offset = 0 then scope_terms.report_id else other_year.report_id end as input_report_id,
        scope_terms.year_offset <> 0 as is_other_year,
        scope_terms.table_no,
        case when scope_terms.row_group is not null then group_rows.row_code
            else coalesce(scope_terms.row_code, scope_terms.scope) end as row_code,
        coalesce(scope_terms.column_code, scope_terms.scope) as column_code
    from scope_terms
    left join t3_rows as group_rows
        on scope_terms.row_group = group_rows.group_code
        and {{ layout_matches('group_rows.layout', 'scope_terms.layout') }}
    left join versions as other_year
        on scope_terms.body_key = other_year.body_key
        and scope_terms.year + scope_terms.year_offset = other_year.year
        and scope_terms.year_offset <> 0
        and other_year.is_current
    where scope_terms.row_group is null or group_rows.row_code is not null

),

final as (

    select
        inputs.report_id, inputs.formula_id, inputs.scope, inputs.side,
        {{ strict_signed_sum('report_values.value', 'inputs.sign') }} as value,
        {{ strict_signed_sum('report_values.original_value', 'inputs.sign') }} as original_value,
        cast(count(*) as integer) as input_count,
        cast(count(*) - count(report_values.value) as integer) as missing_input_count,
        coalesce(bool_or(report_values.is_corrected), false) as uses_corrections,
        max(case when inputs.is_other_year then inputs.input_report_id end) as compared_report_id
    from inputs
    left join report_values
        on inputs.input_report_id = report_values.report_id
        and inputs.table_no = report_values.table_no
        and inputs.row_code = report_values.row_code
        and inputs.column_code = report_values.column_code
    group by all

)

select * from final
