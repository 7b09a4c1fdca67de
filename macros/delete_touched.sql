{% macro delete_touched(key='report_id', touched='int_reports__touched') -%}
    {#- pre_hook of an incremental model keyed by report_id (or, with key='body_key' and
        touched='int_bodies__touched', by body): remove the rows of the touched report versions
        (bodies); they are inserted again, or are gone: a withdrawn report leaves the facts. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ only_touched(key, touched=touched) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
