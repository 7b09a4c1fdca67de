-- One row per report version × rule × scope for every rule of seeds/rules.csv, on corrected values
-- (lhs, rhs, difference = lhs - rhs, status) and on printed values (*_original).
with

formula_checks as (

    select * from {{ ref('int_checks__formulas') }}

),

non_negative_checks as (

    select * from {{ ref('int_checks__non_negative') }}

),

duplicate_checks as (

    select * from {{ ref('int_checks__duplicates') }}

),

versions as (

    select * from {{ ref('int_reports__versions') }}

),

rules as (

    select * from {{ ref('rules') }}

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
        rules.severity,
        checks.scope_kind,
        checks.scope,
        checks.lhs,
        checks.rhs,
        checks.difference,
        checks.status,
        checks.lhs_original,
        checks.rhs_original,
        checks.difference_original,
        checks.status_original,
        checks.uses_corrections,
        checks.input_count,
        checks.missing_input_count,
        checks.compared_report_id

    from checks
    inner join versions on checks.report_id = versions.report_id
    inner join rules on checks.rule_id = rules.rule_id

)

select * from final
