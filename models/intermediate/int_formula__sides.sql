{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- Each formula side (rule lhs/rhs, metric numerator/denominator) per report version and scope: the signed
-- sum of its inputs (int_formula__inputs), NULL if any is missing; a refresh rebuilds touched versions only.
-- One aggregate over integer keys (report_key × side_id), fed with every side a report's scopes have and
-- every value read: no join on its ~14M groups, and DuckDB spills it (runs at 100,000 reports in 400MB).
-- depends_on: {{ ref('int_reports__touched') }}
with

versions as (

    -- a number per report version, so that the aggregate groups on integers, not 16-character ids
    select report_id, body_key, year, is_current, cast(row_number() over (order by report_id) as integer) as report_key
    from {{ ref('int_reports__versions') }}

),

scopes as (

    select versions.report_key, scopes.formula_id, scopes.scope, scopes.body_key, scopes.year, scopes.layout
    from {{ ref('int_formula__scopes') }} as scopes
    inner join versions on scopes.report_id = versions.report_id
    {{ only_touched(on='scopes.report_id') }}

),

inputs as (

    select layout, formula_id, scope, side, table_no, row_code, column_code, year_offset, sign,
        cast(side_id as integer) as side_id, cast(input_count as integer) as input_count
    from {{ ref('int_formula__inputs') }}

),

other_year_values as (

    -- only the cells a year_offset input reads (a few per report; a refresh: of touched bodies)
    select report_id, table_no, row_code, column_code, value, original_value, is_corrected
    from {{ ref('int_report_values') }}
    where (table_no, row_code, column_code) in (select table_no, row_code, column_code from inputs where year_offset <> 0)
        {{ only_touched('report_id', 'and') }}

),

scope_sides as (

    -- every side of every scope of the report, read or not (in_scope: the rows the aggregate keeps)
    select scopes.report_key, inputs.side_id, inputs.input_count, null::integer as sign, null::double as value,
        null::double as original_value, null::boolean as is_corrected, null::integer as compared_report_key,
        true as in_scope
    from scopes
    inner join (select distinct layout, formula_id, scope, side_id, input_count from inputs) as inputs
        on scopes.layout = inputs.layout and scopes.formula_id = inputs.formula_id and scopes.scope = inputs.scope

),

same_year_reads as (

    -- values are matched to the inputs of their own report by cell address (a small hash join); a report
    -- whose Table 3 is printed in the other form (table3_layout) is matched under both layouts
    select versions.report_key, inputs.side_id, inputs.input_count, inputs.sign, report_values.value,
        report_values.original_value, report_values.is_corrected, null::integer, false
    from {{ ref('int_report_values') }} as report_values
    inner join versions on report_values.report_id = versions.report_id
    inner join inputs
        on (report_values.layout = inputs.layout or report_values.table3_layout = inputs.layout)
        and report_values.table_no = inputs.table_no
        and report_values.row_code = inputs.row_code and report_values.column_code = inputs.column_code
    where inputs.year_offset = 0 {{ only_touched('report_id', 'and', on='report_values.report_id') }}

),

other_year_reads as (

    -- a year_offset input reads the same body's current report of that other year
    select scopes.report_key, inputs.side_id, inputs.input_count, inputs.sign,
        report_values.value, report_values.original_value, report_values.is_corrected,
        other_year_reports.report_key, false
    from scopes
    inner join inputs
        on scopes.layout = inputs.layout and scopes.formula_id = inputs.formula_id and scopes.scope = inputs.scope
    left join versions as other_year_reports
        on other_year_reports.is_current and scopes.body_key = other_year_reports.body_key
        and scopes.year + inputs.year_offset = other_year_reports.year
    left join other_year_values as report_values
        on other_year_reports.report_id = report_values.report_id and inputs.table_no = report_values.table_no
        and inputs.row_code = report_values.row_code and inputs.column_code = report_values.column_code
    where inputs.year_offset <> 0

),

summed as (

    select report_key, side_id, input_count,
        {{ strict_signed_sum('value', 'sign', 'input_count') }} as value,
        {{ strict_signed_sum('original_value', 'sign', 'input_count') }} as original_value,
        cast(input_count - count(value) as integer) as missing_input_count,
        coalesce(bool_or(is_corrected), false) as uses_corrections,
        max(compared_report_key) as compared_report_key
    from (select * from scope_sides union all select * from same_year_reads union all select * from other_year_reads)
    group by report_key, side_id, input_count
    having bool_or(in_scope)

),

final as (

    select versions.report_id, sides.formula_id, sides.scope, sides.side, summed.value, summed.original_value,
        summed.input_count, summed.missing_input_count, summed.uses_corrections,
        compared_reports.report_id as compared_report_id
    from summed
    inner join (select distinct side_id, formula_id, scope, side from inputs) as sides on summed.side_id = sides.side_id
    inner join versions on summed.report_key = versions.report_key
    left join versions as compared_reports on summed.compared_report_key = compared_reports.report_key

)

select * from final {{ order_by_report() }}
