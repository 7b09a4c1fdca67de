{% macro ref() -%}
    {#- dbt's ref, overridden: the relation named by schema and name only, without the database
        (DuckDB's catalog). DuckDB names a file's catalog after the file, and a view keeps the
        names it was made with: a view naming the catalog fails once the warehouse is built under
        the staging or spare name and renamed, copied, or attached under another name, while a
        view naming schema.name reads from its own file whatever it is called. So every view can
        stay as it was made (the audit views of the tests that store their failures, the staging
        views), and a refresh need not make them again. A unit test's ref (a CTE name, not a
        relation) is returned as it is. -#}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation.include is defined -%}{{ return(relation.include(database=false)) }}{%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
