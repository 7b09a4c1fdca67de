{% macro delete_touched() -%}
    {#- pre_hook of an incremental model keyed by report_id: remove the rows of the touched report
        versions (they are inserted again, or are gone: a withdrawn report leaves the facts). -#}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ only_touched('report_id') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
