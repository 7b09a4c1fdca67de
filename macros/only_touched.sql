{% macro only_touched(report_id) -%}
    {#- In an incremental run, only the report versions of int_reports__touched; else every one.
        The model must declare `-- depends_on: {{ ref('int_reports__touched') }}`. -#}
    {%- if is_incremental() -%}
        {{ report_id }} in (select report_id from {{ ref('int_reports__touched') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
