-- NON_NEGATIVE, one row per report version × read table cell (Table 2, 3 and 4): lhs is the value,
-- rhs the lowest value its kind allows (seeds/value_kinds.csv); fail when below it or, for counts,
-- not whole. Kinds without a minimum (signed 2019 增/减 items) and narrative figures are not checked.
-- The scope is the cell (table_no.row_code.column_code), also given as its three parts.
{{ config(materialized='view') }}

with

report_values as (

    select * from {{ ref('int_report_values') }}

),

rules as (

    select rule_id, scope_kind from {{ ref('rules') }} where scope_kind = 'cell'

),

t2_items as (

    select code, layout, kind from {{ ref('t2_items') }}

),

table_kinds as (

    select * from {{ ref('table_kinds') }}

),

value_kinds as (

    select * from {{ ref('value_kinds') }} where min_value is not null

),

kinded as (

    select
        report_values.*,
        coalesce(t2_items.kind, table_kinds.default_kind) as kind

    from report_values
    inner join table_kinds
        on report_values.table_no = table_kinds.table_no
    left join t2_items
        on report_values.table_no = 2
        and report_values.row_code = t2_items.code
        and report_values.layout = t2_items.layout

),

final as (

    select
        kinded.report_id,
        rules.rule_id,
        rules.scope_kind,
        kinded.table_no || '.' || kinded.row_code || '.' || kinded.column_code as scope,
        kinded.table_no,
        kinded.row_code,
        kinded.column_code,
        kinded.value as lhs,
        value_kinds.min_value as rhs,
        kinded.value - value_kinds.min_value as difference,
        {{ bound_status('kinded.value', 'value_kinds.min_value', 'value_kinds.must_be_whole') }} as status,
        kinded.original_value as lhs_original,
        value_kinds.min_value as rhs_original,
        kinded.original_value - value_kinds.min_value as difference_original,
        {{ bound_status('kinded.original_value', 'value_kinds.min_value', 'value_kinds.must_be_whole') }}
            as status_original,
        kinded.is_corrected as uses_corrections,
        1 as input_count,
        case when kinded.value is null then 1 else 0 end as missing_input_count,
        cast(null as varchar) as compared_report_id

    from kinded
    inner join value_kinds
        on kinded.kind = value_kinds.kind
    cross join rules

)

select * from final
