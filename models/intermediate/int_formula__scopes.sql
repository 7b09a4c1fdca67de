-- Every (report version × formula × scope) a rule or metric is evaluated on: each report takes the
-- scopes of its layout (int_formula__scope_domain), of its Table 3 layout for a formula that reads
-- Table 3 (a 2021 report may print Table 3 in the 2019 form). Carries the report's body, year and
-- that layout so int_formula__sides needs no other join to place a scope's inputs.
{{ config(materialized='view') }}

with

versions as (

    select report_id, body_key, year, layout, coalesce(table3_layout, layout) as table3_layout
    from {{ ref('int_reports__versions') }}

),

table3_formulas as (

    select distinct formula_id from {{ ref('formula_terms') }} where table_no = 3

),

scope_domain as (

    select scope_domain.layout, scope_domain.formula_id, scope_domain.scope_kind, scope_domain.scope,
        table3_formulas.formula_id is not null as reads_table3
    from {{ ref('int_formula__scope_domain') }} as scope_domain
    left join table3_formulas on scope_domain.formula_id = table3_formulas.formula_id

),

final as (

    -- two equality joins (one per layout a scope may take), not one join on a CASE
    select
        versions.report_id, scope_domain.formula_id, scope_domain.scope_kind, scope_domain.scope,
        versions.body_key, versions.year, scope_domain.layout
    from versions
    inner join scope_domain on versions.table3_layout = scope_domain.layout
    where scope_domain.reads_table3
    union all
    select
        versions.report_id, scope_domain.formula_id, scope_domain.scope_kind, scope_domain.scope,
        versions.body_key, versions.year, scope_domain.layout
    from versions
    inner join scope_domain on versions.layout = scope_domain.layout
    where not scope_domain.reads_table3

)

select * from final
