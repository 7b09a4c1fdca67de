-- Every formula × scope that a report of each concrete layout is evaluated on, from the seeds
-- alone. A formula is a rule (seeds/rules.csv) or a metric (seeds/metrics.csv); its scope_kind
-- picks the scope domain: column = Table 3 applicant columns, row = Table 3 rows of the layout,
-- block = Table 4 blocks, listed = the scopes named in seeds/formula_terms.csv. (NON_NEGATIVE's
-- `cell` scopes are the read cells themselves: see int_checks__non_negative.)
with

rules as (

    select rule_id as formula_id, scope_kind, layout from {{ ref('rules') }}

),

metrics as (

    select metric_code as formula_id, scope_kind, layout from {{ ref('metrics') }}

),

formula_terms as (

    select formula_id, scope from {{ ref('formula_terms') }}

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

formulas_by_layout as (

    {{ for_each_layout('formulas') }}

),

scopes_by_layout as (

    {{ for_each_layout('scope_domain') }}

),

final as (

    -- a scope row without formula_id (column, row, block) serves every formula of its kind
    select
        formulas_by_layout.report_layout as layout,
        formulas_by_layout.formula_id,
        formulas_by_layout.scope_kind,
        scopes_by_layout.scope

    from formulas_by_layout
    inner join scopes_by_layout
        on formulas_by_layout.scope_kind = scopes_by_layout.scope_kind
        and formulas_by_layout.report_layout = scopes_by_layout.report_layout
        and coalesce(scopes_by_layout.formula_id, formulas_by_layout.formula_id) = formulas_by_layout.formula_id

)

select * from final
