"""Hand-labelled key results written like a PMO community writes them.

WEAK: tasks, activities, levels to hold, or no measure at all. GOOD: measurable
outcomes, a change from a baseline to a target. Used to measure the hint rules.
"""

WEAK_KEY_RESULTS = [
    "Launch the new project intake portal",
    "Implement a portfolio dashboard in Power BI",
    "Hold a workshop on benefits realisation with all programme leads",
    "Create a RAID log template for every project",
    "Roll out the new stage-gate process to all divisions",
    "Maintain schedule performance index above 0.95",
    "Keep the number of red projects at 3 or fewer",
    "Improve stakeholder communication",
    "Train project managers in risk management",
    "Run monthly portfolio review meetings",
    "Set up a PMO SharePoint site",
    "Publish a quarterly PMO newsletter",
    "Better alignment between IT and business priorities",
    "Develop a capacity planning model",
    "Define the project prioritisation criteria with the board",
    "Conduct lessons-learned sessions after each project",
    "Sustain customer satisfaction at current levels",
    "Migrate all project plans to the new PPM tool",
    "Organise a PMO community of practice kick-off",
    "Write a benefits tracking guide",
    "More transparency on project status",
    "Review all business cases for active projects",
]

GOOD_KEY_RESULTS = [
    "Increase on-time milestone delivery from 62% to 85%",
    "Reduce average project intake decision time from 30 to 10 days",
    "Raise the share of projects with a measurable business case from 40% to 90%",
    "Cut budget overruns above 10% from 9 projects to 3",
    "Grow stakeholder satisfaction with status reporting from 3.1 to 4.2 out of 5",
    "Reduce the number of projects in flight from 48 to 30 without cutting throughput",
    "80% of completed projects report realised benefits within 6 months of closure",
    "Lower resource over-allocation from 25% of staff to under 5%",
    "Decrease the time to produce the monthly portfolio report from 5 days to 1 day",
    "Improve forecast accuracy of project end dates to within 2 weeks for 75% of projects",
    "Increase PMO community attendance from 15 to 40 active members per session",
    "At least 90% of steering committees receive decision papers 3 days in advance",
    "Reduce change requests approved after gate 3 from 20 to 8 per quarter",
    "Raise the portfolio's average SPI from 0.82 to 0.95",
    "Double the number of projects using the standard risk register, from 12 to 24",
    "Shorten onboarding of new project managers from 8 weeks to 4 weeks",
    "Reach 95% data completeness in the PPM tool, up from 70%",
    "No more than 2 projects without a named sponsor, down from 11",
    "Halve the number of escalations reaching the executive board, from 16 to 8",
    "Increase the share of benefits tracked after go-live from 20% to 60%",
    "Reduce unplanned project stops from 6 to 2 per year",
]
