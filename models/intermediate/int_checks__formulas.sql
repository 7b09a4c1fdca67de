-- Results of the rules written as lhs = rhs in seeds/formula_terms.csv (every rule but NON_NEGATIVE),
-- one row per report version × rule × scope, on corrected and on printed values.
{{ config(materialized='view') }}

with

sides as (

    select * from {{ ref('int_formula__sides') }}

),

rules as (

    select rule_id, scope_kind from {{ ref('rules') }}

),

paired as (

    select
        sides.report_id,
        sides.formula_id as rule_id,
        rules.scope_kind,
        sides.scope,
        any_value(sides.value) filter (where sides.side = 'lhs') as lhs,
        any_value(sides.value) filter (where sides.side = 'rhs') as rhs,
        any_value(sides.original_value) filter (where sides.side = 'lhs') as lhs_original,
        any_value(sides.original_value) filter (where sides.side = 'rhs') as rhs_original,
        bool_or(sides.uses_corrections) as uses_corrections,
        cast(sum(sides.input_count) as integer) as input_count,
        cast(sum(sides.missing_input_count) as integer) as missing_input_count,
        max(sides.compared_report_id) as compared_report_id

    from sides
    inner join rules
        on sides.formula_id = rules.rule_id
    group by all

),

final as (

    select
        report_id, rule_id, scope_kind, scope,
        lhs, rhs, lhs - rhs as difference, {{ check_status('lhs', 'rhs') }} as status,
        lhs_original, rhs_original, lhs_original - rhs_original as difference_original,
        {{ check_status('lhs_original', 'rhs_original') }} as status_original,
        uses_corrections, input_count, missing_input_count, compared_report_id

    from paired

)

select * from final
