-- Every (report version × formula × scope) a rule or metric is evaluated on. A formula is a rule
-- (seeds/rules.csv) or a metric (seeds/metrics.csv); its scope_kind picks the scope domain:
-- column = Table 3 applicant columns, row = Table 3 rows of the report's layout, block = Table 4
-- blocks, listed = the scopes named in seeds/formula_terms.csv. (NON_NEGATIVE's `cell` scopes are
-- the read cells themselves: see int_checks__non_negative.)
with

versions as (

    select report_id, layout from {{ ref('int_reports__versions') }}

),

rules as (

    select rule_id as formula_id, scope_kind, layout from {{ ref('rules') }}

),

metrics as (

    select metric_code as formula_id, scope_kind, layout from {{ ref('metrics') }}

),

formula_terms as (

    select * from {{ ref('formula_terms') }}

),

formulas as (

    select * from rules
    union all
    select * from metrics

),

scope_domain as (

    select 'column' as scope_kind, cast(null as varchar) as formula_id, column_code as scope, 'both' as layout
    from {{ ref('t3_columns') }}
    union all
    select 'row', null, row_code, layout from {{ ref('t3_rows') }}
    union all
    select distinct 'block', null, block_code, 'both' from {{ ref('t4_cells') }}
    union all
    select distinct 'listed', formula_id, scope, 'both' from formula_terms where scope is not null

),

final as (

    select
        versions.report_id,
        formulas.formula_id,
        formulas.scope_kind,
        scope_domain.scope

    from versions
    inner join formulas
        on {{ layout_matches('formulas.layout', 'versions.layout') }}
    inner join scope_domain
        on formulas.scope_kind = scope_domain.scope_kind
        and (scope_domain.formula_id is null or scope_domain.formula_id = formulas.formula_id)
        and {{ layout_matches('scope_domain.layout', 'versions.layout') }}

)

select * from final
