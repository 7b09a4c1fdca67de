{% macro delete_touched(key='report_id') -%}
    {#- pre_hook of an incremental model keyed by `key` (macro touched_keys: report_id, body_key
        or peer_group): remove the rows of the touched values (only_touched); they are inserted
        again, or are gone: a withdrawn report leaves the facts, a group left without peers its
        benchmarks. -#}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ only_touched(key) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
