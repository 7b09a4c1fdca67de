-- The cells of every glued run a report left open, one row per cell, with the value each split
-- gives it. A cell key (table2.<code>, table3.<row>.<column>, table4.<code>) becomes the cell's
-- address as raw.cells has it: Table 2's column is `value`, Table 4's row and column its block
-- and outcome (seeds/t4_cells.csv). A split's values are exact DECIMALs (a run may hold an amount
-- in 元: 13575394432.52元), printed without a fraction when whole.
with

source as (

    select * from {{ source('raw', 'ambiguous') }}

),

t4_cells as (

    select code, block_code, outcome_code from {{ ref('t4_cells') }}

),

cells as (

    select
        report_id,
        {{ clean_text('run') }} as run,
        {{ clean_text('source') }} as source_location,
        unnest(cells) as cell_key,
        unnest(range(1, len(cells) + 1)) as cell_position,
        options

    from source

),

addressed as (

    select
        cells.report_id,
        cast(substr(split_part(cells.cell_key, '.', 1), 6) as integer) as table_no,
        coalesce(t4_cells.block_code, split_part(cells.cell_key, '.', 2)) as row_code,
        coalesce(t4_cells.outcome_code, nullif(split_part(cells.cell_key, '.', 3), ''), 'value') as column_code,
        cells.cell_key,
        cells.run,
        cells.source_location,
        list_transform(cells.options, lambda option: {{ exact_amount('option[cells.cell_position]') }}) as candidate_values,
        array_to_string(list_transform(cells.options, lambda option: array_to_string(list_transform(option,
            lambda value: case when value = round(value) then cast(cast(value as bigint) as varchar)
                else cast(value as varchar) end), ' | ')), '; ') as candidate_splits

    from cells
    left join t4_cells
        on split_part(cells.cell_key, '.', 1) = 'table4'
        and split_part(cells.cell_key, '.', 2) = t4_cells.code

)

select * from addressed
