-- The Chinese label of every scope a check can cover, per pair of a report's layout and Table 3
-- layout, from int_cell_labels: a column scope is the applicant (自然人), a row the Table 3 row, a
-- block the Table 4 block, a cell (NON_NEGATIVE) the cell (表三 · 予以公开 · 总计), a listed scope
-- the narrative measure (收到政府信息公开申请) or the Table 2 row whose stock it follows (规章), a
-- report scope (DUPLICATE_REPORT) the whole report.
with

cell_labels as (

    select * from {{ ref('int_cell_labels') }}

),

t2_items as (

    select code, layout, measure_group from {{ ref('t2_items') }}

),

final as (

    select distinct layout, table3_layout, 'column' as scope_kind, column_code as scope, column_label as scope_label
    from cell_labels where table_no = 3
    union all
    select distinct layout, table3_layout, 'row', row_code, row_label from cell_labels where table_no = 3
    union all
    select distinct layout, table3_layout, 'block', row_code, row_label from cell_labels where table_no = 4
    union all
    select layout, table3_layout, 'cell', table_no || '.' || row_code || '.' || column_code, cell_label
    from cell_labels where table_no > 0
    union all
    select layout, table3_layout, 'listed', row_code, row_label from cell_labels where table_no = 0
    union all
    select distinct cell_labels.layout, cell_labels.table3_layout, 'listed', t2_items.measure_group, cell_labels.row_label
    from cell_labels
    inner join t2_items on cell_labels.row_code = t2_items.code and cell_labels.layout = t2_items.layout
    where cell_labels.table_no = 2
    union all
    select distinct layout, table3_layout, 'report', 'report', '整份报告' from cell_labels

)

select * from final
