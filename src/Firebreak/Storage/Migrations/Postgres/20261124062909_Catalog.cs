using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Firebreak.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Catalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChatChannel",
                table: "teams",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationRef",
                table: "teams",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationRef",
                table: "services",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LastReviewed",
                table: "services",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Links",
                table: "services",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ManagedBy",
                table: "services",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Runbook",
                table: "services",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slos",
                table: "services",
                type: "text",
                nullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "IntegrationId",
                table: "change_events",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<string>(
                name: "Author",
                table: "change_events",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Commit",
                table: "change_events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "change_events",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Link",
                table: "change_events",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedBy",
                table: "change_events",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Version",
                table: "change_events",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alert_plans",
                columns: table => new
                {
                    AlertName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Markdown = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_alert_plans", x => x.AlertName);
                });

            migrationBuilder.CreateTable(
                name: "catalog_versions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Version = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Source = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    SyncedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Applied = table.Column<bool>(type: "boolean", nullable: false),
                    Findings = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "routing_rules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Scenario = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TeamShortName = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Keywords = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "service_dependencies",
                columns: table => new
                {
                    ServiceId = table.Column<int>(type: "integer", nullable: false),
                    DependsOnId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_dependencies", x => new { x.ServiceId, x.DependsOnId });
                    table.ForeignKey(
                        name: "FK_service_dependencies_services_DependsOnId",
                        column: x => x.DependsOnId,
                        principalTable: "services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_service_dependencies_services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_change_events_Service_OccurredAt",
                table: "change_events",
                columns: new[] { "Service", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_service_dependencies_DependsOnId",
                table: "service_dependencies",
                column: "DependsOnId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_plans");

            migrationBuilder.DropTable(
                name: "catalog_versions");

            migrationBuilder.DropTable(
                name: "routing_rules");

            migrationBuilder.DropTable(
                name: "service_dependencies");

            migrationBuilder.DropIndex(
                name: "IX_change_events_Service_OccurredAt",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "ChatChannel",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "EscalationRef",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "EscalationRef",
                table: "services");

            migrationBuilder.DropColumn(
                name: "LastReviewed",
                table: "services");

            migrationBuilder.DropColumn(
                name: "Links",
                table: "services");

            migrationBuilder.DropColumn(
                name: "ManagedBy",
                table: "services");

            migrationBuilder.DropColumn(
                name: "Runbook",
                table: "services");

            migrationBuilder.DropColumn(
                name: "Slos",
                table: "services");

            migrationBuilder.DropColumn(
                name: "Author",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "Commit",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "Link",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "RecordedBy",
                table: "change_events");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "change_events");

            migrationBuilder.AlterColumn<int>(
                name: "IntegrationId",
                table: "change_events",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);
        }
    }
}
