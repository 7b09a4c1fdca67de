{% macro run_cache() -%}
    {#- A dict that lives as long as this dbt invocation and is shared by every node it compiles
        (kept in dbt's `graph`, built once per invocation, under the invocation_id): what a run
        computes once for all its nodes, e.g. the touched report versions (touched_ids). Only for
        values that cannot change while dbt runs. A dbt that gave each node its own `graph`
        would only make the run compute them again, never wrongly. While parsing, an empty dict
        that nothing keeps. -#}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {{ return(graph.setdefault('xxgk_run_cache', {}).setdefault(invocation_id, {})) }}
{%- endmacro %}
