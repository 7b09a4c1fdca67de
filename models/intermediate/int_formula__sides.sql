{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- Each formula side (rule lhs/rhs, metric numerator/denominator) per report version and scope: the signed
-- sum of its inputs (int_formula__inputs), NULL if any is missing; a refresh rebuilds touched versions only.
-- depends_on: {{ ref('int_reports__touched') }}
with

scopes as (

    select report_id, formula_id, scope, body_key, year, layout from {{ ref('int_formula__scopes') }}
    {{ only_touched('report_id') }}

),

inputs as (

    select * from {{ ref('int_formula__inputs') }}

),

current_versions as (

    select report_id, body_key, year from {{ ref('int_reports__versions') }} where is_current

),

report_values as (

    -- under each layout its report's scopes may take (int_formula__scopes): a report whose Table 3
    -- is printed in the other form is matched under both
    select report_id, layout, table_no, row_code, column_code, value, original_value, is_corrected
    from {{ ref('int_report_values') }}
    union all
    select report_id, table3_layout, table_no, row_code, column_code, value, original_value, is_corrected
    from {{ ref('int_report_values') }}
    where table3_layout <> layout

),

same_year_reads as (

    -- values are matched to the inputs of their own report by cell address (a small hash join)
    select report_values.report_id, inputs.side_id, inputs.input_count, inputs.sign, report_values.value,
        report_values.original_value, report_values.is_corrected
    from report_values
    inner join inputs
        on report_values.layout = inputs.layout and report_values.table_no = inputs.table_no
        and report_values.row_code = inputs.row_code and report_values.column_code = inputs.column_code
    where inputs.year_offset = 0 {{ only_touched('report_values.report_id', 'and') }}

),

other_year_values as (

    -- only the cells a year_offset input reads (a few per report), not every cell of every report
    select report_values.*
    from report_values
    inner join (select distinct table_no, row_code, column_code from inputs where year_offset <> 0) as read_cells
        on report_values.table_no = read_cells.table_no and report_values.row_code = read_cells.row_code
        and report_values.column_code = read_cells.column_code

),

other_year_reads as (

    -- a year_offset input reads the same body's current report of that other year
    select scopes.report_id, inputs.side_id, inputs.input_count, inputs.sign,
        report_values.value, report_values.original_value, report_values.is_corrected,
        other_year_reports.report_id as compared_report_id
    from scopes
    inner join inputs
        on scopes.layout = inputs.layout and scopes.formula_id = inputs.formula_id and scopes.scope = inputs.scope
    left join current_versions as other_year_reports
        on scopes.body_key = other_year_reports.body_key and scopes.year + inputs.year_offset = other_year_reports.year
    left join other_year_values as report_values
        on other_year_reports.report_id = report_values.report_id and inputs.table_no = report_values.table_no
        and inputs.row_code = report_values.row_code and inputs.column_code = report_values.column_code
    where inputs.year_offset <> 0

),

compared as (

    select report_id, side_id, max(compared_report_id) as compared_report_id from other_year_reads group by all

),

final as (

    -- a quarter of the reports at a time (hash of report_id): at 100,000 reports the aggregate over
    -- ~14M (report, side) groups and its join ran out of DuckDB's memory instead of spilling
    {%- set shares = 4 %}
    {%- for share in range(shares) %}
    select scopes.report_id, scopes.formula_id, scopes.scope, sides.side, summed.value, summed.original_value,
        cast(sides.input_count as integer) as input_count,
        cast(coalesce(summed.missing_input_count, sides.input_count) as integer) as missing_input_count,
        coalesce(summed.uses_corrections, false) as uses_corrections,
        compared.compared_report_id
    from scopes
    inner join (select distinct layout, formula_id, scope, side, side_id, input_count from inputs) as sides
        on scopes.layout = sides.layout and scopes.formula_id = sides.formula_id and scopes.scope = sides.scope
    left join (
        select report_id, side_id,
            {{ strict_signed_sum('value', 'sign', 'input_count') }} as value,
            {{ strict_signed_sum('original_value', 'sign', 'input_count') }} as original_value,
            input_count - count(value) as missing_input_count,
            bool_or(is_corrected) as uses_corrections
        from (select * exclude (compared_report_id) from other_year_reads union all select * from same_year_reads)
        where hash(report_id) % {{ shares }} = {{ share }}
        group by report_id, side_id, input_count
    ) as summed on scopes.report_id = summed.report_id and sides.side_id = summed.side_id
    left join compared on scopes.report_id = compared.report_id and sides.side_id = compared.side_id
    where hash(scopes.report_id) % {{ shares }} = {{ share }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
