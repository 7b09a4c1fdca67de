{% macro order_by_report(column='report_id') -%}
    {#- The end of the final select of a big model keyed by report version: in a full build
        `order by report_id`, so that the table is written in report_id order and each row group
        holds a narrow range of versions. A refresh's filter on the touched versions
        (touched_match: `in` literals) then skips every row group but a few instead of reading
        the whole column. In an incremental run (a refresh) nothing: the few touched versions'
        rows are appended together anyway. For the models whose rows come out of joins and
        aggregates in no order: at 100,000 reports one report's rows of int_formula__sides sat in
        about 80 of its 113 row groups (0.3 s a read), of int_metrics__inputs_ok,
        int_checks__failed_inputs and mart_check_findings in 6-10 of 8-13. int_report_values and
        the models over it keep the order of raw.cells, which the loader writes sorted
        (ingest.warehouse.load.order_cells): one or two row groups a report. -#}
    {%- if not is_incremental() -%}
        order by {{ column }}
    {%- endif -%}
{%- endmacro %}
