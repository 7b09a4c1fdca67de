-- The input cells of each side of each formula scope, per concrete layout, from the seeds alone:
-- every term of seeds/formula_terms.csv for the scope (a term without scope serves every scope
-- of its formula), a row_group expanded to the group's Table 3 rows in that layout, an empty
-- row_code/row_group read as the scope's row or block and an empty column_code as the scope's
-- column. int_formula__sides matches report values to these by layout and cell address.
with

scope_domain as (

    select layout, formula_id, scope_kind, scope from {{ ref('int_formula__scope_domain') }}

),

formula_terms as (

    select * from {{ ref('formula_terms') }}

),

t3_rows as (

    select row_code, layout, group_code from {{ ref('t3_rows') }} where group_code is not null

),

group_rows as (

    {{ for_each_layout('t3_rows') }}

),

scope_terms as (

    select
        scope_domain.layout, scope_domain.formula_id, scope_domain.scope_kind, scope_domain.scope,
        formula_terms.side, formula_terms.table_no, formula_terms.row_code, formula_terms.row_group,
        formula_terms.column_code, formula_terms.year_offset, formula_terms.sign

    from scope_domain
    inner join formula_terms
        on scope_domain.formula_id = formula_terms.formula_id
        and coalesce(formula_terms.scope, scope_domain.scope) = scope_domain.scope

),

expanded as (

    -- a row_group with no row in the layout contributes no input
    select
        scope_terms.layout,
        scope_terms.formula_id,
        scope_terms.scope_kind,
        scope_terms.scope,
        scope_terms.side,
        scope_terms.table_no,
        case when scope_terms.row_group is not null then group_rows.row_code
            else coalesce(scope_terms.row_code, scope_terms.scope) end as row_code,
        coalesce(scope_terms.column_code, scope_terms.scope) as column_code,
        scope_terms.year_offset,
        scope_terms.sign

    from scope_terms
    left join group_rows
        on scope_terms.row_group = group_rows.group_code
        and scope_terms.layout = group_rows.report_layout
    where scope_terms.row_group is null or group_rows.row_code is not null

),

final as (

    -- side_id numbers the sides (layout × formula × scope × side) so reports group and join on it cheaply
    select
        *,
        dense_rank() over (order by layout, formula_id, scope, side) as side_id,
        count(*) over (partition by layout, formula_id, scope, side) as input_count

    from expanded

)

select * from final
