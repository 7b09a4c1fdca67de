{{ config(materialized='incremental', pre_hook="{{ delete_touched() }}") }}
-- One row per report version × rule × scope for every rule of seeds/rules.csv, on corrected values
-- (lhs, rhs, difference = lhs - rhs, status) and on printed values (*_original), with the rule's
-- and the scope's Chinese names. Values are exact DECIMALs: NON_NEGATIVE also checks fee amounts.
-- A refresh rebuilds the touched versions only.
-- depends_on: {{ ref('int_reports__touched') }}
with

formula_checks as (

    select * from {{ ref('int_checks__formulas') }} {{ only_touched('report_id') }}

),

non_negative_checks as (

    select * exclude (table_no, row_code, column_code) from {{ ref('int_checks__non_negative') }} {{ only_touched('report_id') }}

),

duplicate_checks as (

    select * from {{ ref('int_checks__duplicates') }} {{ only_touched('report_id') }}

),

versions as (

    select * from {{ ref('int_reports__versions') }} {{ only_touched('report_id') }}

),

rules as (

    select * from {{ ref('rules') }}

),

scope_labels as (

    select * from {{ ref('int_checks__scope_labels') }}

),

checks as (

    select * from formula_checks
    union all by name
    select * from non_negative_checks
    union all by name
    select * from duplicate_checks

),

final as (

    select
        checks.report_id,
        versions.is_current,
        versions.body_key,
        versions.body_name,
        versions.region_code,
        versions.year,
        versions.layout,
        versions.file,
        checks.rule_id,
        rules.rule_name,
        rules.severity,
        checks.scope_kind,
        checks.scope,
        scope_labels.scope_label,
        {{ exact_amount('checks.lhs') }} as lhs,
        {{ exact_amount('checks.rhs') }} as rhs,
        {{ exact_amount('checks.difference') }} as difference,
        checks.status,
        {{ exact_amount('checks.lhs_original') }} as lhs_original,
        {{ exact_amount('checks.rhs_original') }} as rhs_original,
        {{ exact_amount('checks.difference_original') }} as difference_original,
        checks.status_original,
        checks.uses_corrections,
        checks.input_count,
        checks.missing_input_count,
        checks.compared_report_id

    from checks
    inner join versions on checks.report_id = versions.report_id
    inner join rules on checks.rule_id = rules.rule_id
    left join scope_labels
        on versions.layout = scope_labels.layout
        and versions.table3_layout = scope_labels.table3_layout
        and checks.scope_kind = scope_labels.scope_kind
        and checks.scope = scope_labels.scope

)

select * from final {{ order_by_report() }}
