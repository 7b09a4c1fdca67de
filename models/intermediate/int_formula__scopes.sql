-- Every (report version × formula × scope) a rule or metric is evaluated on: each report takes the
-- scopes of its layout (int_formula__scope_domain). Carries the report's body, year and layout so
-- int_formula__sides needs no other join to place a scope's inputs.
{{ config(materialized='view') }}

with

versions as (

    select report_id, body_key, year, layout from {{ ref('int_reports__versions') }}

),

scope_domain as (

    select layout, formula_id, scope_kind, scope from {{ ref('int_formula__scope_domain') }}

),

final as (

    select
        versions.report_id,
        scope_domain.formula_id,
        scope_domain.scope_kind,
        scope_domain.scope,
        versions.body_key,
        versions.year,
        versions.layout

    from versions
    inner join scope_domain
        on versions.layout = scope_domain.layout

)

select * from final
