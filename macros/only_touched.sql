{% macro only_touched(report_id, keyword='where') -%}
    {#- In an incremental run, `<keyword> <report_id> in (the versions of int_reports__touched)`;
        in a full build nothing at all, so that the build's SQL (and DuckDB's plan) is the same as
        a plain table's. The model must declare `-- depends_on: {{ ref('int_reports__touched') }}`. -#}
    {%- if is_incremental() -%}
        {{ keyword }} {{ report_id }} in (select report_id from {{ ref('int_reports__touched') }})
    {%- endif -%}
{%- endmacro %}
