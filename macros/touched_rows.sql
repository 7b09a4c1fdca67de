{% macro touched_rows(relation, key=none) -%}
    {#- In a run that rebuilds only the touched report versions (a refresh: environment variable
        XXGK_DBT_TESTS=touched, set by ingest/warehouse/dbt.py, and no --full-refresh), the rows of
        `relation` whose `key` is a version of int_reports__touched, as a subquery; otherwise
        `relation` itself. `key` defaults to the relation's model meta `touched_key`: a model
        declares it when its rows are keyed by report version and only the touched versions'
        rows can differ from the last build (incremental models, views over raw or over them).
        Read at run time from the graph: while parsing, `relation` unchanged. -#}
    {%- if not execute or flags.FULL_REFRESH or env_var('XXGK_DBT_TESTS', 'all') != 'touched' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set nodes = graph.nodes.values() | list -%}
    {%- if key is none -%}
        {%- for node in nodes if node.relation_name == relation | string -%}
            {%- set key = node.config.meta.get('touched_key') -%}
            {%- if key -%}{{ return(touched_rows(relation, key)) }}{%- endif -%}
        {%- endfor -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- for touched in nodes if touched.name == 'int_reports__touched' and touched.resource_type in ('model', 'seed') -%}
        {{ return("(select * from " ~ relation ~ " where " ~ key ~ " in " ~ touched_ids(touched.relation_name) ~ ")") }}
    {%- endfor -%}
    {{ return(relation) }}
{%- endmacro %}
