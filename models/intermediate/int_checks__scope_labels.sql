-- The Chinese label of every scope a check can cover, per layout, from int_cell_labels: a column
-- scope is the applicant (自然人), a row the Table 3 row, a block the Table 4 block, a cell
-- (NON_NEGATIVE) the cell (表三 · 予以公开 · 总计), a listed scope the narrative measure
-- (收到政府信息公开申请) or the Table 2 row whose stock it follows (规章).
with

cell_labels as (

    select * from {{ ref('int_cell_labels') }}

),

t2_groups as (

    select distinct layout, measure_group, row_label from {{ ref('t2_items') }}

),

final as (

    select distinct layout, 'column' as scope_kind, column_code as scope, column_label as scope_label
    from cell_labels where table_no = 3
    union all
    select distinct layout, 'row', row_code, row_label from cell_labels where table_no = 3
    union all
    select distinct layout, 'block', row_code, row_label from cell_labels where table_no = 4
    union all
    select layout, 'cell', table_no || '.' || row_code || '.' || column_code, cell_label
    from cell_labels where table_no > 0
    union all
    select layout, 'listed', row_code, row_label from cell_labels where table_no = 0
    union all
    select layout, 'listed', measure_group, row_label from t2_groups

)

select * from final
