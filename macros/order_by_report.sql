{% macro order_by_report(column='report_id') -%}
    {#- The end of the final select of a big model keyed by report version: in a full build
        `order by report_id`, so that the table is written in report_id order and each row group
        holds a narrow range of versions. A refresh's filter on the touched versions
        (touched_match: `in` literals) then skips every row group but a few instead of reading
        the whole column. In an incremental run (a refresh) nothing: the few touched versions'
        rows are appended together anyway. For the models whose rows come out of aggregates in
        no order (mart_check_results); int_report_values and the models over it keep the order
        of raw.cells, which the loader writes sorted (ingest.warehouse.load.order_cells). -#}
    {%- if not is_incremental() -%}
        order by {{ column }}
    {%- endif -%}
{%- endmacro %}
